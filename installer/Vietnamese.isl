; dvdesk's Vietnamese messages for Inno Setup 6 (written for dvdesk, not the
; unofficial translation from jrsoftware.org/files/istrans/).
;
; dvdesk.iss loads it AFTER compiler:Default.isl, so every message here replaces
; the English one and any message not listed (errors a per-user install does not
; normally show) falls back to English instead of breaking the build.
; Saved as UTF-8 with BOM: Inno Setup 6 reads it as Unicode.

[LangOptions]
LanguageName=Tiếng Việt
LanguageID=$042A
LanguageCodePage=0

[Messages]

; *** Application titles
SetupAppTitle=Cài đặt
SetupWindowTitle=Cài đặt - %1
UninstallAppTitle=Gỡ cài đặt
UninstallAppFullTitle=Gỡ cài đặt %1

; *** Misc. common
InformationTitle=Thông tin
ConfirmTitle=Xác nhận
ErrorTitle=Lỗi

; *** SetupLdr and startup
SetupLdrStartupMessage=Chương trình sẽ cài đặt %1. Bạn có muốn tiếp tục không?
LdrCannotCreateTemp=Không tạo được tệp tạm. Đã dừng cài đặt
LdrCannotExecTemp=Không chạy được tệp trong thư mục tạm. Đã dừng cài đặt
SetupAlreadyRunning=Chương trình cài đặt đang chạy rồi.
WindowsVersionNotSupported=Chương trình này không hỗ trợ phiên bản Windows trên máy của bạn.
OnlyOnTheseArchitectures=Chương trình này chỉ cài được trên Windows dành cho các loại bộ xử lý sau:%n%n%1
SetupAppRunningError=%1 đang chạy.%n%nHãy đóng mọi cửa sổ %1 rồi bấm Đồng ý để tiếp tục, hoặc Hủy để thoát.
UninstallAppRunningError=%1 đang chạy.%n%nHãy đóng mọi cửa sổ %1 rồi bấm Đồng ý để tiếp tục, hoặc Hủy để thoát.

; *** Install mode (per user or all users)
PrivilegesRequiredOverrideInstruction=Chọn cách cài đặt
PrivilegesRequiredOverrideTaskDialogText1=%1 có thể cài cho mọi người dùng máy này (cần quyền quản trị) hoặc chỉ cho riêng bạn.
PrivilegesRequiredOverrideMsgBoxText1=%1 có thể cài cho mọi người dùng máy này (cần quyền quản trị) hoặc chỉ cho riêng bạn.%n%nCài cho mọi người dùng?
PrivilegesRequiredOverrideTaskDialogText2=%1 có thể cài chỉ cho riêng bạn (không cần quyền quản trị) hoặc cho mọi người dùng máy này (cần quyền quản trị).
PrivilegesRequiredOverrideMsgBoxText2=%1 có thể cài chỉ cho riêng bạn (nên chọn, không cần quyền quản trị) hoặc cho mọi người dùng máy này (cần quyền quản trị).%n%nChỉ cài cho riêng bạn?
PrivilegesRequiredOverrideAllUsers=Cài cho &mọi người dùng
PrivilegesRequiredOverrideCurrentUser=Chỉ cài cho &riêng tôi
PrivilegesRequiredOverrideRecommended=%1 (nên chọn)

; *** Misc. errors
ErrorCreatingDir=Không tạo được thư mục "%1"

; *** Setup common messages
ExitSetupTitle=Thoát cài đặt
ExitSetupMessage=Việc cài đặt chưa xong. Nếu thoát bây giờ, chương trình sẽ không được cài.%n%nBạn có thể chạy lại chương trình cài đặt vào lúc khác.%n%nThoát cài đặt?
AboutSetupMenuItem=&Về chương trình cài đặt...
AboutSetupTitle=Về chương trình cài đặt

; *** Buttons
ButtonBack=< &Quay lại
ButtonNext=&Tiếp >
ButtonInstall=&Cài đặt
ButtonOK=Đồng ý
ButtonCancel=Hủy
ButtonYes=&Có
ButtonYesToAll=Có &tất cả
ButtonNo=&Không
ButtonNoToAll=Không tất &cả
ButtonFinish=&Xong
ButtonBrowse=&Chọn...
ButtonWizardBrowse=C&họn...
ButtonNewFolder=&Tạo thư mục mới

; *** "Select Language" dialog
SelectLanguageTitle=Chọn ngôn ngữ cài đặt
SelectLanguageLabel=Chọn ngôn ngữ dùng trong khi cài đặt:

; *** Common wizard text
ClickNext=Bấm Tiếp để tiếp tục, hoặc Hủy để thoát.
BrowseDialogTitle=Chọn thư mục
BrowseDialogLabel=Chọn một thư mục trong danh sách dưới đây rồi bấm Đồng ý.
NewFolderName=Thư mục mới

; *** "Welcome" wizard page
WelcomeLabel1=Chào mừng đến với chương trình cài đặt [name]
WelcomeLabel2=Chương trình sẽ cài [name/ver] vào máy tính của bạn.%n%nNên đóng các chương trình khác trước khi tiếp tục.

; *** "Select Destination Location" wizard page
WizardSelectDir=Chọn nơi cài đặt
SelectDirDesc=Cài [name] vào đâu?
SelectDirLabel3=[name] sẽ được cài vào thư mục sau.
SelectDirBrowseLabel=Bấm Tiếp để tiếp tục. Muốn chọn thư mục khác, bấm Chọn.
DiskSpaceMBLabel=Cần ít nhất [mb] MB dung lượng trống trên ổ đĩa.
InvalidPath=Hãy nhập đường dẫn đầy đủ có ký tự ổ đĩa, ví dụ:%n%nC:\APP
InvalidDrive=Ổ đĩa đã chọn không có hoặc không dùng được. Hãy chọn ổ khác.
DiskSpaceWarningTitle=Không đủ dung lượng
DiskSpaceWarning=Cần ít nhất %1 KB trống để cài, nhưng ổ đã chọn chỉ còn %2 KB.%n%nVẫn tiếp tục?
DirNameTooLong=Tên thư mục hoặc đường dẫn quá dài.
InvalidDirName=Tên thư mục không hợp lệ.
BadDirName32=Tên thư mục không được chứa các ký tự sau:%n%n%1
DirExistsTitle=Thư mục đã có
DirExists=Thư mục:%n%n%1%n%nđã có. Vẫn cài vào thư mục này?
DirDoesntExistTitle=Thư mục chưa có
DirDoesntExist=Thư mục:%n%n%1%n%nchưa có. Tạo thư mục này?

; *** "Select Additional Tasks" wizard page
WizardSelectTasks=Chọn việc làm thêm
SelectTasksDesc=Bạn muốn làm thêm những việc nào?
SelectTasksLabel2=Chọn các việc làm thêm khi cài [name] rồi bấm Tiếp.

; *** "Select Start Menu Folder" wizard page
WizardSelectProgramGroup=Chọn thư mục trong menu Start
SelectStartMenuFolderDesc=Đặt lối tắt của chương trình ở đâu?
SelectStartMenuFolderLabel3=Lối tắt của chương trình sẽ được tạo trong thư mục sau của menu Start.
SelectStartMenuFolderBrowseLabel=Bấm Tiếp để tiếp tục. Muốn chọn thư mục khác, bấm Chọn.
MustEnterGroupName=Hãy nhập tên thư mục.
NoProgramGroupCheck2=&Không tạo thư mục trong menu Start

; *** "Ready to Install" wizard page
WizardReady=Sẵn sàng cài đặt
ReadyLabel1=Đã sẵn sàng cài [name] vào máy tính của bạn.
ReadyLabel2a=Bấm Cài đặt để bắt đầu, hoặc Quay lại để xem hay sửa lựa chọn.
ReadyLabel2b=Bấm Cài đặt để bắt đầu.
ReadyMemoDir=Nơi cài đặt:
ReadyMemoGroup=Thư mục trong menu Start:
ReadyMemoTasks=Việc làm thêm:

; *** "Preparing to Install" wizard page
WizardPreparing=Chuẩn bị cài đặt
PreparingDesc=Đang chuẩn bị cài [name] vào máy tính của bạn.
CannotContinue=Không thể tiếp tục cài đặt. Bấm Hủy để thoát.
ApplicationsFound=Các chương trình sau đang dùng tệp cần cập nhật. Nên để chương trình cài đặt tự đóng chúng.
ApplicationsFound2=Các chương trình sau đang dùng tệp cần cập nhật. Nên để chương trình cài đặt tự đóng chúng; cài xong sẽ mở lại.
CloseApplications=&Tự động đóng các chương trình
DontCloseApplications=&Không đóng các chương trình
ErrorCloseApplications=Không tự đóng được mọi chương trình. Hãy tự đóng các chương trình đang dùng tệp cần cập nhật rồi tiếp tục.

; *** "Installing" wizard page
WizardInstalling=Đang cài đặt
InstallingLabel=Xin chờ trong khi [name] được cài vào máy tính của bạn.

; *** "Setup Completed" wizard page
FinishedHeadingLabel=Đã cài xong [name]
FinishedLabelNoIcons=[name] đã được cài vào máy tính của bạn.
FinishedLabel=[name] đã được cài vào máy tính của bạn. Mở chương trình bằng lối tắt vừa tạo.
ClickFinish=Bấm Xong để thoát.
FinishedRestartLabel=Cần khởi động lại máy để cài xong [name]. Khởi động lại ngay?
FinishedRestartMessage=Cần khởi động lại máy để cài xong [name].%n%nKhởi động lại ngay?
YesRadio=&Có, khởi động lại máy ngay
NoRadio=&Không, tôi sẽ khởi động lại sau
RunEntryExec=Mở %1
RunEntryShellExec=Xem %1

; *** Installation phase messages
SetupAborted=Chưa cài xong.%n%nHãy khắc phục sự cố rồi chạy lại chương trình cài đặt.
AbortRetryIgnoreChooseAction=Chọn cách xử lý
AbortRetryIgnoreRetry=Thử lại
AbortRetryIgnoreProceedAnyway=Vẫn tiếp tục
AbortRetryIgnoreCancel=Hủy cài đặt

; *** Installation status messages
StatusClosingApplications=Đang đóng các chương trình...
StatusCreateDirs=Đang tạo thư mục...
StatusExtractFiles=Đang chép tệp...
StatusCreateIcons=Đang tạo lối tắt...
StatusCreateRegistryEntries=Đang ghi vào registry...
StatusSavingUninstall=Đang lưu thông tin gỡ cài đặt...
StatusRunProgram=Đang hoàn tất...
StatusRestartingApplications=Đang mở lại các chương trình...
StatusRollback=Đang hoàn tác thay đổi...

; *** File copying errors
ErrorCopying=Lỗi khi chép tệp:
ErrorReplacingExistingFile=Lỗi khi thay tệp cũ:
FileExists=Tệp đã có.%n%nGhi đè lên tệp này?

; *** Uninstall display name markings
UninstallDisplayNameMarkAllUsers=Mọi người dùng
UninstallDisplayNameMarkCurrentUser=Người dùng hiện tại

; *** Uninstaller messages
ConfirmUninstall=Bạn có chắc muốn gỡ %1 khỏi máy tính không? Dữ liệu đoàn viên và các bản sao lưu được giữ lại.
OnlyAdminCanUninstall=Chỉ người có quyền quản trị mới gỡ được bản cài đặt này.
UninstallStatusLabel=Xin chờ trong khi %1 được gỡ khỏi máy tính của bạn.
UninstalledAll=Đã gỡ %1 khỏi máy tính của bạn.
UninstalledMost=Đã gỡ %1.%n%nMột vài mục không gỡ được; có thể tự xóa chúng.
UninstalledAndNeedsRestart=Cần khởi động lại máy để gỡ xong %1.%n%nKhởi động lại ngay?
WizardUninstalling=Tình trạng gỡ cài đặt
StatusUninstalling=Đang gỡ %1...

; *** Shutdown block reasons
ShutdownBlockReasonInstallingApp=Đang cài %1.
ShutdownBlockReasonUninstallingApp=Đang gỡ %1.

[CustomMessages]
NameAndVersion=%1 phiên bản %2
AdditionalIcons=Lối tắt thêm:
CreateDesktopIcon=Tạo lối tắt trên &màn hình nền
ProgramOnTheWeb=%1 trên Internet
UninstallProgram=Gỡ cài đặt %1
LaunchProgram=Mở %1
; dvdesk's own messages (used by dvdesk.iss)
SelfTestShortcut=Tự kiểm tra %1
DataKept=Dữ liệu đoàn viên và các bản sao lưu KHÔNG bị xóa; chúng vẫn ở:%n%n%1%n%nCài lại dvdesk sẽ dùng tiếp dữ liệu này. Muốn xóa hẳn thì tự xóa thư mục trên.
AppDirIsDataDir=Không cài chương trình vào thư mục dữ liệu:%n%n%1%n%nHãy chọn thư mục khác.
